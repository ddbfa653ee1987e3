"""What every request passes: security headers, body limits, forged-form checks; and the
session cookie they rely on, as every door sets it."""
