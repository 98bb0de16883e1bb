# A class whose methods read a global rebound later, instance pickled after the rebinding.
# %%
import pickle
unit = "cm"
class Length:
    def __init__(self, v):
        self.v = v

    def show(self):
        return f"{self.v}{unit}"
# %% [markdown]
# ## Measure
# %%
unit = "mm"
length = Length(5)
print(pickle.loads(pickle.dumps(length)).show())
