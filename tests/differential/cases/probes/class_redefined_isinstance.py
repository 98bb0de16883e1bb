# A class redefined after an instance was made: the old instance is not an instance of the new class.
# %%
class Model:
    version = 1
old = Model()
# %%
class Model:
    version = 2
# %%
print(isinstance(old, Model), old.version)
