"""What-if scenarios: levers (client and supplier terms, discounts, factoring, collection effort, activity)
applied to a prepared projection without refitting, and compared with the baseline.

May import: projection, model, i18n, core.
"""
