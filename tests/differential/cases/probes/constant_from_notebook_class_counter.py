# An upper-case constant made by a notebook class whose constructor counts instances.
# %%
class Counter:
    made = 0
    def __init__(self):
        Counter.made += 1
        self.id = Counter.made
first = Counter()
# %%
DEFAULT = Counter()
print(DEFAULT.id)
