# checkov loads external checks only from folders that hold an __init__.py.
