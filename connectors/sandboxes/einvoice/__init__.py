"""A simulator of an e-invoice provider (Viettel SInvoice's JSON shapes) with the faults real providers show."""
