# A scoring notebook that loads with pickle and scores a list built from a literal.
# expect: same
# %%
import pickle
with open("model.pkl", "rb") as handle:
    model = pickle.load(handle)
# %% [markdown]
# ## Score
# %%
request = {"data": [[2, 0.5]]}
prediction = model.predict(request["data"])
print(prediction)
