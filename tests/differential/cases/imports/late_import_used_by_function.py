# A function reads `json` at call time; the import comes after the def, before the call.
# expect: same
# %%
def encode(value):
    return json.dumps(value, sort_keys=True)
# %%
import json
# %%
print(encode({"b": 1, "a": 2}))
