"""The local deployment: the reference applied to moto on loopback, probed, checked, destroyed."""
