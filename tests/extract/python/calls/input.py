import os
import os.path as osp

setup()
config = os.environ.get("HOME")


def caller(items):
    helper(1, key=value())
    os.path.join("a", "b")
    osp.exists(  "x" )
    "sep".join(items)
    make().finish()
    a.b.c.d(e.f())
    print(f"{fmt(items)!r} and {other}")
    values = [convert(i) for i in items if keep(i)]
    return Widget(size=len(items))


class Holder:
    registry.add(1)

    def run(self):
        self.items.append(x)
        obj.method()
        await_me = await coro()
