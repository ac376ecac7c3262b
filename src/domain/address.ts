/** A receiver's address as members keep it in their address book and orders keep a snapshot of it. */
export interface Address {
  id: number;
  receiverName: string;
  mobile: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  districtCode: string;
  address: string;
  zip: string;
  isDefault: boolean;
}
