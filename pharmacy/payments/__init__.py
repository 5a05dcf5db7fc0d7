"""Bank transfers at the counter: dynamic VietQR payloads and the bank feed that confirms them."""
