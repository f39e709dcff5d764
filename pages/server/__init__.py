"""What serve.py adds to Streamlit's server: the charts' Plotly bundle route, faster first visits, the warm-up.

May import: pages.widgets, forecasting.
"""
