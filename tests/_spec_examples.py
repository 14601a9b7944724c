"""A small deliberately wrong backend for the front-end tests: the sigmoid's slope as y(1 + y)."""

from spec_tests.backends.refnet_backend import RefnetBackend


class SigmoidSlopeBug(RefnetBackend):
    name = "sigmoid-slope-bug"

    def activation(self, name, x, upstream, attrs):
        result = RefnetBackend.activation(self, name, x, upstream, attrs)
        if name == "sigmoid":
            result["dx"] = [y * (1.0 + y) * u for y, u in zip(result["y"], upstream)]
        return result
