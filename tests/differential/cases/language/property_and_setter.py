# A property with a validating setter.
# expect: same
# %%
class Temperature:
    def __init__(self):
        self._c = 0.0

    @property
    def celsius(self):
        return self._c

    @celsius.setter
    def celsius(self, value):
        self._c = max(value, -273.15)
t = Temperature()
# %% [markdown]
# ## Set
# %%
t.celsius = -300
print(t.celsius)
