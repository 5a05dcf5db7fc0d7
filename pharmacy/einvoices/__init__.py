"""Tax e-invoices from the cash register (hóa đơn điện tử khởi tạo từ máy tính tiền): store settings, the rules
presets, one invoice row per sale and per correction, each queued as an `einvoice` outbox message."""
