"""The ground every stage stands on: column names, errors, the Ledger, payment terms and calendars.

Imports nothing else of forecasting.
"""
