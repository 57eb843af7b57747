def outer(x):
    def middle(y):
        def inner(z):
            return helper(z)
        return inner(y)

    class Local(Base):
        def method(self):
            return middle(1)

    key = lambda item: item.key()
    return sorted(x, key=lambda v: v.rank())


class A:
    class B:
        class C:
            def m(self):
                def f():
                    g()
                return f

    def n(self):
        return [lambda: self.m() for _ in range(3)]


@decorator(arg())
def decorated(a=default()):
    pass
