"""What-if scenarios: levers applied to a prepared projection without refitting, compared with the baseline.

The flow: a scenario file or the What-if form gives a `Scenario` (scenario.py) of levers, each one class of a
family (timing.py, financing.py, flows.py) registered in registry.py and gathered by catalog.py; `compare`
(compare.py) applies them in order (apply.py) to a working copy of the cash items (work.py) and returns a
frozen `ScenarioResult` (results.py). scope.py, reading.py and form.py hold what the levers share.

May import: projection, model, i18n, core.
"""
