"""What the service draws and prints: PDFs, QR codes, badge images and the checks on uploads."""
