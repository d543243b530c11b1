module example.com/assistant

go 1.26

require google.golang.org/genai v1.77.0
