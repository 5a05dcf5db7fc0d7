"""Cash shifts: one user's drawer at one store, from its opening float to the counted cash at close."""
