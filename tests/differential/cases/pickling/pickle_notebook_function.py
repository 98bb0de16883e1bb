# pickle.dumps of a function defined in the notebook (pickled by reference) and loaded back.
# expect: same
# %%
import pickle
def square(v):
    return v * v
# %% [markdown]
# ## Round trip
# %%
blob = pickle.dumps(square)
again = pickle.loads(blob)
print(again(7))
