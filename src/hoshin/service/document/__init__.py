"""Documents made from the plan: the workbook (xlsx, csv) and the PDF documents (the A3
report, the monthly review pack, the X-matrix, the strategy on a page)."""
