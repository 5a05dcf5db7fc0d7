"""The audit trail (who changed what, from where) and the tamper-evident journal of documents (a hash chain per
store, verified by `flask --app app audit verify`)."""
