// Empty on purpose: the floor extension measures what injecting a content script costs.
