# An attribute set through an alias that is then only displayed; the original is printed.
# %%
import types
config = types.SimpleNamespace(lr=0.1)
settings = config
# %%
settings.lr = 0.5
# %%
settings
# %%
print(config.lr)
