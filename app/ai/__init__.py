"""AI drafting through the OpenAI API or any OpenAI-compatible server (Ollama, llama.cpp,
vLLM, LM Studio, Azure OpenAI). The offline summarizer stays the fallback for every failure."""
