"""The drug catalogue: products, their units, prices and barcodes."""
