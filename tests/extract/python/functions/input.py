"""Functions: plain, async, decorated, annotated, lambdas bound to names."""


def plain(a, b=1, *args, key=None, **kw):
    return a


async def fetch(url: str) -> bytes:
    await plain(url)


@decorator
@other.decorator(1)
def decorated(x):
    pass  # a comment on the last line
    # a comment after the body is not part of it


square = lambda x: x * x
typed: "Callable" = lambda: plain(0)


def one_liner(): return 1


def last():
    if True:
        return 2
    # trailing


first, second = lambda: 1, lambda: plain(2)


def local_pair():
    inc, value = lambda x: x + 1, compute()
    return inc(value), value()
