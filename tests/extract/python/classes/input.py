import abc


class Plain:
    pass


class Derived(Plain, abc.ABC, metaclass=abc.ABCMeta):
    """Keyword arguments are not bases."""

    attr = compute()

    def method(self):
        return 1

    @staticmethod
    def static(x):
        return x

    @classmethod
    async def build(cls):
        return cls()

    handler = lambda self: self.method()


class Generic_(Mapping[str, int], Generic[T], *mixins, **opts):
    class Inner(Derived.Nested):
        def deep(self):
            pass


class Called(namedtuple("Called", "a b")):
    pass


@register
class Decorated:
    x: int = 0
