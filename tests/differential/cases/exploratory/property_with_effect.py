# Reading a property that counts its reads: the bare attribute expression has an effect.
# expect: same
# %%
class Meter:
    def __init__(self):
        self.reads = 0

    @property
    def value(self):
        self.reads += 1
        return 42
meter = Meter()
# %%
meter.value
# %%
print(meter.reads)
