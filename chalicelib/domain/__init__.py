"""Pure decisions: no I/O, no AWS, no clock. Everything here is tested without moto."""
