"""English and French: translated texts, numbers, money and dates written per language, the glossary.

May import: core.
"""
