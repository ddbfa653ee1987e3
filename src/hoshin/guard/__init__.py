"""What every request passes: security headers, body limits, forged-form checks."""
