"""The GPP record books the pharmacy keeps itself: quality checks, temperature and humidity, complaints and adverse
reactions; append-only (a correction is a reversal entry) and locked after the day's closing hour."""
