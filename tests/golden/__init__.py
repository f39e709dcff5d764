"""Golden outputs of the demo company: the CLI's JSON and the workbook's values, to prove a refactor changes nothing."""
