print("loading one")
