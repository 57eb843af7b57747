def lost(a, b
    x = helper(a)
    return x

class Kept:
    def fine(self):
        return done()
