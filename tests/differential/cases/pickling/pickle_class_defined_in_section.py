# A class defined under a heading, next to code reading earlier names, is pickled.
# %%
import pickle
scale = 3
# %% [markdown]
# ## Model
# %%
class Scaled:
    factor = scale

    def __init__(self, v):
        self.v = v * Scaled.factor
instance = Scaled(2)
# %% [markdown]
# ## Save
# %%
with open("scaled.pkl", "wb") as handle:
    pickle.dump(instance, handle)
print(pickle.loads(pickle.dumps(instance)).v)
