"""Which definition each call belongs to."""
import sys

if __name__ == "__main__":
    main(sys.argv)


def outer(limit=default_limit()) -> annotation():
    @trace(level())
    def inner(x: hint() = value()):
        return work(x)
    return inner


class Config(Base, metaclass=meta_factory()):
    items = [make(i) for i in range(3)]
    fallback = lambda self: self.items

    @validator("name")
    def check(self, value=default_value()):
        class Local(helper_base()):
            size = compute()

            def run(self):
                return execute()
        return lambda: Local().run()


print(f"{Config()!r:>{width()}}")
