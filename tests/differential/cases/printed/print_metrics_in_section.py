# A section computes metrics and prints them in the same cell; the printed line must appear once.
# expect: same
# %%
actual = [1, 0, 1, 1]
predicted = [1, 0, 0, 1]
# %% [markdown]
# ## Evaluate
# %%
accuracy = sum(a == p for a, p in zip(actual, predicted)) / len(actual)
metrics = {"accuracy": accuracy}
print(metrics)
# %% [markdown]
# ## Save
# %%
import json
with open("metrics.json", "w") as handle:
    json.dump(metrics, handle)
