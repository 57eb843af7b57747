def apply(fn, *args, callback=None, **kw):
    fn(*args)
    callback()
    args()
    kw()
    handlers[0]()
    self.table["k"](1)
    factory()()
    obj.make()(2)
    (fn or default)()
    (plain)()
    (lambda: 0)()
    local = pick()
    local()
    for each in handlers:
        each()
    first, second = pair()
    second()
    notlocal()


def outer(cb):
    def inner():
        cb()
        outer(cb)
    return lambda f: f(cb())


def shadow(x, y=x()):
    pass


def comprehensions(fs, pairs):
    return [f() for f in fs] + [g() for _ in fs], {a(): b() for a, b in pairs}


[hook() for hook in hooks]
hook()


def decorate_with(wrap):
    @wrap
    def inner():
        pass
    return inner


def bound_by_statements(x):
    with open(x) as fh, pair() as (a, b):
        fh()
        b()
    try:
        pass
    except Error as e:
        e()
    if (m := get()):
        m()
