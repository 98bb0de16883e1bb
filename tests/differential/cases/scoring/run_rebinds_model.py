# The scoring section rebinds `model`, which loading made; the rebinding is used for the prediction.
# %%
import joblib
# %% [markdown]
# ## Load model
# %%
model = joblib.load("model.pkl")
# %% [markdown]
# ## Score
# %%
model = model.with_bias(100.0)
result = model.predict([[1, 0]])
print(result)
