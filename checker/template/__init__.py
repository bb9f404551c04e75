"""``jixiao template``: a fill-in goal-sheet workbook built from the framework and pack data.

``spec`` turns the data (rules/frameworks/<fw>.yaml, the pack's options, templates/goal-sheet.yaml) into
what the sheet shows; ``workbook`` lays it out with openpyxl. The workbook is read back by the ordinary
readers and parser: nothing in jixiao knows a sheet came from the template.
"""
