# A scoring notebook keeps a global call counter that its scoring function increments.
# %%
import joblib
model = joblib.load("model.pkl")
calls = 0
def predict(rows):
    global calls
    calls += 1
    return model.predict(rows)
# %% [markdown]
# ## Score
# %%
out = predict([[1, 1]])
out = predict([[2, 2]])
print(out, calls)
