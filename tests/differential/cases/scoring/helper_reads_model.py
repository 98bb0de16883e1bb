# A helper function reads the global `model` that loading bound.
# The function reads a name main() binds: the name stays a module global, declared in main() (NB204).
# expect: kept
# %%
import joblib
def score_one(row):
    return model.predict([row])[0]
# %% [markdown]
# ## Load model
# %%
model = joblib.load("model.pkl")
# %% [markdown]
# ## Score
# %%
rows = [[1, 2], [0, 0]]
scores = [score_one(row) for row in rows]
print(scores)
