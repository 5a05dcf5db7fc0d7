"""Stock counts (kiểm kê): expected per lot at the start, counted quantities, variance, approved adjustments."""
