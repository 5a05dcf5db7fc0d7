"""Tax e-invoice providers: one interface (`document.py`: what an invoice is; `providers.py`: which client a store
uses), the Viettel SInvoice JSON REST client, and nothing that reads pharmacy's database."""
