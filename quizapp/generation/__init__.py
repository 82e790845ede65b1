"""The question generator: article text in, a ranked bank of questions out.

Pure: spaCy and the standard library, no Flask, no database.
"""
