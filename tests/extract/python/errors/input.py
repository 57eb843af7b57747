def good():
    return ok()


def broken(:
    call_in_broken()


class Fine:
    def method(self):
        return self.good()

    def half(self
        first()
        self.second()

    def after_half(self):
        third()


print "python 2"


class Broken(Base:
    def m(self):
        inside()
    x = = 1
    def n(self):
        other()
end()
