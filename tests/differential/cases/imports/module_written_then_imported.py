# A cell writes a module file, the next imports it from the working folder.
# %%
with open("generated_mod.py", "w") as handle:
    handle.write("def greet(name):\n    return 'hi ' + name\n")
# %%
import generated_mod
print(generated_mod.greet("there"))
