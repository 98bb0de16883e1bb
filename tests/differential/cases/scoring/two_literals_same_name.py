# Two literal assignments of `threshold` in a scoring notebook, each used right after it.
# %%
import joblib
model = joblib.load("model.pkl")
# %% [markdown]
# ## Score
# %%
threshold = 3.0
labels_low = [p > threshold for p in model.predict([[1, 1], [4, 4]])]
threshold = 8.0
labels_high = [p > threshold for p in model.predict([[1, 1], [4, 4]])]
print(labels_low, labels_high)
