"""The dashboard's page scripts (one per page: read widgets, call forecasting, render), with their shared
widgets (pages/widgets) and what serve.py adds to Streamlit's server (pages/server) beside them.
"""
