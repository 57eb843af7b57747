class Base:
    def save(self):
        pass


class Child(Base):
    def save(self):
        self.validate()
        super().save()
        super(Child, self).save()
        self.store.save()
        Base.save(self)

    @classmethod
    def create(cls):
        cls.validate()
        return cls()

    @staticmethod
    def helper(x, self):
        self.validate()

    def other(this):
        this.validate()
        self.validate()

    def nested(self):
        def inner():
            self.validate()

        def shadowing(self):
            self.validate()
        return lambda: self.save()


def free(self):
    self.validate()


class Outer:
    class Inner:
        def m(self):
            self.m()
