"""What serve.py adds to Streamlit's server: the charts' Plotly bundle route, faster first visits, the warm-up.

Every use of Streamlit's private or undocumented internals is in streamlit_internals.py, and nowhere else.
May import: pages.widgets, forecasting.
"""
